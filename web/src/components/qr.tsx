// A QR code as one SVG path (uqr encodes; we draw), with a quiet zone of 4 modules as the spec
// asks, black on white for any scanner.
import { encode } from 'uqr';
import { useMemo } from 'preact/hooks';

export function Qr({ text, label, size = 176 }: { text: string; label: string; size?: number }) {
  const { d, n } = useMemo(() => {
    const qr = encode(text, { ecc: 'M', border: 4 });
    let path = '';
    qr.data.forEach((row, y) => {
      let run = -1;
      for (let x = 0; x <= row.length; x++) {
        if (x < row.length && row[x]) {
          if (run < 0) run = x;
        } else if (run >= 0) {
          path += `M${run} ${y}h${x - run}v1h${run - x}z`;
          run = -1;
        }
      }
    });
    return { d: path, n: qr.size };
  }, [text]);
  return (
    <svg
      class="qr"
      width={size}
      height={size}
      viewBox={`0 0 ${n} ${n}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
    >
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
