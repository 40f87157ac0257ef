/**
 * The PNG Paeth predictor of a byte from its `left`, `up` and `upLeft` neighbours (0 outside the image):
 * whichever of them is nearest to `left + up - upLeft`, ties in that order (docs/png-writer.md, 2). Chosen with
 * masks, not branches: the choice is unpredictable, and branches took about twice the time. The writer
 * subtracts it, the reader adds it back.
 */
export function paethPredictor(left: number, up: number, upLeft: number): number {
  const toLeft = absolute(up - upLeft);
  const toUp = absolute(left - upLeft);
  const toUpLeft = absolute(left + up - 2 * upLeft);
  const notLeft = ((toUp - toLeft) | (toUpLeft - toLeft)) >> 31;
  const upLeftOverUp = (toUpLeft - toUp) >> 31;
  const upOrUpLeft = (up & ~upLeftOverUp) | (upLeft & upLeftOverUp);
  return (left & ~notLeft) | (upOrUpLeft & notLeft);
}

/** |value| for a small integer, without a branch. */
function absolute(value: number): number {
  const sign = value >> 31;
  return (value ^ sign) - sign;
}
