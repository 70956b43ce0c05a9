/**
 * The system prompt for Crafter policies: the rules as they are in this port (vitals start at 9, recipes
 * from the data tables), and how to call the tool.
 * @module
 */

/** A factual system prompt for LLM and scripted Crafter policies. */
export const CRAFTER_SYSTEM_PROMPT = [
  'You play Crafter, a 2-D survival game on a 64x64 map. Unlock as many of the 22 achievements as you can;',
  'each gives +1 reward the first time. Health, food, drink and energy start at 9 (max 9).',
  'Call the tool interact_many with 1 to 8 actions per call; they run in order.',
  'Moving turns you to face that direction even when the way is blocked. `do` acts on the faced tile: collect',
  'wood from trees, saplings from grass (sometimes), drink water, mine stone/coal with a wood pickaxe and iron with a',
  'stone pickaxe, attack zombies, skeletons and cows (a killed cow feeds you), eat ripe plants.',
  'Recipes: place_table needs 2 wood; make_wood_pickaxe and make_wood_sword need 1 wood and a table within 1 tile',
  '(diagonals count); make_stone_pickaxe and make_stone_sword need 1 wood + 1 stone and a table; place_furnace needs',
  '4 stone; iron tools need wood, coal, iron and both a table and a furnace nearby. place_stone needs 1 stone;',
  'place_plant needs a sapling and faces grass. Sleep when energy is low (you wake when it is full); zombies come',
  'at night and hit hard while you sleep. Never walk into lava.',
].join(' ');
