import { A, K, M } from '../../../src/apps/crafter/constants.ts';
import { CrafterEngine } from '../../../src/apps/crafter/engine.ts';

/** An engine whose creatures are gone and whose 9×9 surroundings are grass, for rule tests. */
export function clearedEngine(seed = 1): CrafterEngine {
  const engine = new CrafterEngine({ seed });
  for (const obj of engine.world.objects) if (obj.kind !== K.player) engine.world.remove(obj);
  const { x, y } = engine.player;
  for (let dx = -4; dx <= 4; dx++)
    for (let dy = -4; dy <= 4; dy++) engine.world.setMaterial(x + dx, y + dy, M.grass);
  return engine;
}

export { A, K, M };
