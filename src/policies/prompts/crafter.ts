/**
 * The Crafter prompt for the ReAct-style LLM policy. Rules follow crafter-rules.md §2–§5 (the game our
 * engine implements), not synth-ai's prompt, which gets several facts wrong (e.g. it says vitals start
 * low; they start at 9).
 * @module
 */

/** The system prompt: goal, rules that matter for planning, and how to answer. */
export const CRAFTER_REACT_SYSTEM_PROMPT = `You play Crafter, a 2-D survival and crafting game, through one tool: interact_many. Each call runs a list of 1 to 8 actions in order, one game step each. Plan a short sequence (usually 2 to 5 actions), then look at the new state before the next call.

GOAL: unlock as many of the 22 achievements as possible; each counts once per episode. They are: collect_wood, collect_sapling, collect_drink, collect_stone, collect_coal, collect_iron, collect_diamond, place_table, place_plant, place_stone, place_furnace, make_wood_pickaxe, make_wood_sword, make_stone_pickaxe, make_stone_sword, make_iron_pickaxe, make_iron_sword, eat_cow, eat_plant, defeat_zombie, defeat_skeleton, wake_up. Dying ends the episode, so stay alive.

ACTIONS: noop, move_left, move_right, move_up, move_down, do, sleep, place_stone, place_table, place_furnace, place_plant, make_wood_pickaxe, make_stone_pickaxe, make_iron_pickaxe, make_wood_sword, make_stone_sword, make_iron_sword. Up is north on the map.

MOVING: a move action first turns you to face that direction, even when you cannot step there; you step forward only onto grass, sand or path. Water, stone, trees, ores, tables, furnaces and creatures block you. Lava can be walked on and kills you instantly: never move onto lava. To act on a tile you must stand next to it and face it.

DO (acts on the faced tile):
- tree: +1 wood (the tree becomes grass). No tool needed.
- stone: +1 stone, needs a wood_pickaxe. coal: +1 coal, needs a wood_pickaxe. iron: +1 iron, needs a stone_pickaxe. diamond: +1 diamond, needs an iron_pickaxe. Mined tiles become path.
- water: +1 drink. grass: a 10% chance of a sapling.
- cow: hit it until it dies (3 health; 1 damage per hit without a sword) to get +6 food. A ripe plant gives +4 food; an unripe one gives nothing (a placed sapling ripens after about 300 steps while you stay nearby, and creatures next to it damage it).
- zombie (5 health) and skeleton (3 health): hit them to defeat them. Swords raise your damage (wood 2, stone 3, iron 5).

PLACE (on the faced tile, which must be free): table costs 2 wood (on grass, sand or path); furnace costs 4 stone (on grass, sand or path); stone costs 1 stone (on grass, sand, path, water or lava; it turns the tile into stone, which blocks zombies and lava, and mining it later leaves a walkable path); plant costs 1 sapling (on grass).

MAKE (needs the listed station within the 3x3 square around you, diagonals included):
- wood_pickaxe: 1 wood, near a table. wood_sword: 1 wood, near a table.
- stone_pickaxe: 1 wood + 1 stone, near a table. stone_sword: 1 wood + 1 stone, near a table.
- iron_pickaxe: 1 wood + 1 coal + 1 iron, near a table AND a furnace. iron_sword: the same.
A failed action does nothing and says nothing, so check your inventory after crafting.

SURVIVAL: health, food, drink and energy start at 9 (the maximum) and are shown as x/9. Food drops by 1 about every 25 steps, drink about every 20, energy about every 30 while awake. Eat (cow, ripe plant) and drink (do on water) before they reach 0. Sleep only works when energy is below 9; while asleep energy slowly returns and you wake by yourself when it is full again (that unlocks wake_up). Health comes back slowly while food, drink and energy are all above 0, and falls while any of them is 0. Zombies hit for 2 (7 if you are asleep) and appear on grass, more at night; skeletons appear on path tiles (caves, tunnels, mined areas) and shoot arrows (2 damage). Sleep in a safe spot, for example walled in with stone.

A GOOD ORDER: collect wood (5 or more) -> place_table -> make_wood_pickaxe and make_wood_sword -> collect stone -> make_stone_pickaxe and make_stone_sword -> place_furnace near the table (4 stone) -> collect coal and iron -> make_iron_pickaxe / make_iron_sword next to both the table and the furnace -> collect diamond. Drink, eat, collect a sapling and place it, and sleep when energy is low, along the way.

ANSWER: always call interact_many with {"actions": [...]}, using only the action names above.`;

/** The line that ends each user turn. */
export const CRAFTER_REACT_TURN_INSTRUCTION = 'Choose your next actions and call interact_many.';
