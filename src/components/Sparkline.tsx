import * as React from 'react';

import { SparklinePainter } from '../perf/painter';
import {
  SPARKLINE_HEIGHT as HEIGHT,
  SPARKLINE_WIDTH as WIDTH
} from '../sparkline';
import { formatNumber, UNKNOWN } from '../text';

/**
 * The frame of one session's sparkline over the last `minutes`; its line is
 * drawn by the painter.
 */
export const Sparkline = React.memo(function Sparkline(props: {
  id: number;
  minutes: number;
  painter: SparklinePainter;
}): JSX.Element {
  const { id, minutes, painter } = props;
  const attach = React.useCallback(
    (svg: SVGSVGElement | null) => painter.attach(id, svg),
    [painter, id]
  );
  return (
    <span className="jp-GlueSessions-spark">
      <span className="jp-GlueSessions-spark-label" aria-hidden="true">
        {Number.isFinite(minutes) ? formatNumber(minutes) : UNKNOWN} min
      </span>
      <svg
        ref={attach}
        className="jp-GlueSessions-sparkline"
        width={WIDTH}
        height={HEIGHT}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
      >
        <title />
        <line
          className="jp-GlueSessions-sparkline-base"
          x1={0}
          x2={WIDTH}
          y1={HEIGHT - 0.5}
          y2={HEIGHT - 0.5}
        />
      </svg>
    </span>
  );
});
