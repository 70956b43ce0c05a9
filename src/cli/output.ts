import pc from 'picocolors';

/** Colour only on a TTY and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stderr): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** Colour helpers that fall back to plain text. */
export function colors(stream: NodeJS.WriteStream = process.stderr) {
  return pc.createColors(useColor(stream));
}

/** Progress bars and spinners only make sense on a terminal. */
export function isInteractive(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && process.env.CI !== 'true';
}
