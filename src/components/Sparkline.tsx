import * as React from 'react';

import { formatNumber, sparklinePaths } from '../format';

const WIDTH = 72;
const HEIGHT = 18;

/**
 * A sparkline (SVG) of one session's executors over the last minutes.
 */
export function Sparkline(props: {
  points: [number, number | null][];
  max: number;
  minutes: number;
}): JSX.Element | null {
  const { points, max, minutes } = props;
  const known = points.filter(p => p[1] !== null).map(p => p[1] as number);
  if (!known.length) {
    return null;
  }
  const end = points[points.length - 1][0];
  const paths = sparklinePaths(
    points,
    WIDTH,
    HEIGHT,
    max,
    end - minutes * 60,
    end
  );
  const peak = Math.max(...known);
  const label = `Executors over the last ${formatNumber(minutes)} min: now ${formatNumber(
    known[known.length - 1]
  )}, peak ${formatNumber(peak)}`;
  return (
    <span className="jp-GlueSessions-spark">
      <span className="jp-GlueSessions-spark-label" aria-hidden="true">
        {formatNumber(minutes)} min
      </span>
      <svg
        className="jp-GlueSessions-sparkline"
        width={WIDTH}
        height={HEIGHT}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={label}
      >
        <title>{label}</title>
        <line
          className="jp-GlueSessions-sparkline-base"
          x1={0}
          x2={WIDTH}
          y1={HEIGHT - 0.5}
          y2={HEIGHT - 0.5}
        />
        {paths.map((d, i) => (
          <polyline
            key={i}
            className="jp-GlueSessions-sparkline-line"
            points={d}
          />
        ))}
      </svg>
    </span>
  );
}
