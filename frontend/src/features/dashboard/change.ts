/** "+12.5%" / "−4.0%" / "0.0%", and how to read it: the sign and an arrow carry it, not the colour alone. */
export function describeChange(changePct: number | null): { text: string; arrow: string; color: string; words: string } {
  if (changePct === null) return { text: 'new', arrow: '', color: 'dimmed', words: 'no figure in the previous period' };
  if (changePct > 0) return { text: `+${changePct.toFixed(1)}%`, arrow: '▲', color: 'teal.9', words: 'up' };
  if (changePct < 0) return { text: `−${Math.abs(changePct).toFixed(1)}%`, arrow: '▼', color: 'red.9', words: 'down' };
  return { text: '0.0%', arrow: '▶', color: 'dimmed', words: 'unchanged' };
}
