import { SparklinePainter } from '../perf/painter';
import { ISparklineData, sparklineData } from '../perf/sparklines';
import { sparklineFrame, sparklinePaths } from '../sparkline';

/**
 * jsdom has no SVGPointList: a polyline's `points`, kept in step with its
 * attribute as a browser does, and the svg's createSVGPoint.
 */
function withPointLists(): () => void {
  const proto = (window as any).SVGElement.prototype;
  const lists = new WeakMap<Element, { text: string; items: any[] }>();
  Object.defineProperty(proto, 'points', {
    configurable: true,
    get(this: Element) {
      const element = this;
      let state = lists.get(element);
      const text = element.getAttribute('points') ?? '';
      if (!state || state.text !== text) {
        const items = text
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(pair => {
            const [x, y] = pair.split(',').map(Number);
            return { x, y };
          });
        state = { text, items };
        lists.set(element, state);
      }
      const sync = (s: { text: string; items: any[] }) => {
        s.text = s.items.map(p => `${p.x},${p.y}`).join(' ');
        element.setAttribute('points', s.text);
      };
      const s = state;
      return {
        get numberOfItems() {
          return s.items.length;
        },
        appendItem(point: any) {
          s.items.push({ x: point.x, y: point.y });
          sync(s);
        },
        removeItem(index: number) {
          s.items.splice(index, 1);
          sync(s);
        }
      };
    }
  });
  proto.createSVGPoint = () => ({ x: 0, y: 0 });
  return () => {
    delete proto.points;
    delete proto.createSVGPoint;
  };
}

/** The frame of a sparkline as the row renders it. */
function frameElement(): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.appendChild(document.createElementNS(svg.namespaceURI, 'title'));
  svg.appendChild(document.createElementNS(svg.namespaceURI, 'line'));
  document.body.appendChild(svg);
  return svg;
}

/** The drawing of `values` at samples 5 s apart ending at sample `last`. */
function drawing(last: number, values: (number | null)[]): ISparklineData {
  const times = values.map((_, i) => (last - values.length + 1 + i) * 5);
  const end = times[times.length - 1];
  const frame = sparklineFrame(times, {
    width: 72,
    height: 18,
    max: 9,
    start: end - 60,
    end,
    maxGap: 10
  });
  return sparklineData(frame, values, 1)!;
}

/** Where each point of the svg's lines is on screen (transform applied). */
function onScreen(svg: SVGSVGElement): [number, number][][] {
  return Array.from(svg.querySelectorAll('polyline')).map(line => {
    const shift = /translate\((-?[\d.e-]+)/.exec(
      line.getAttribute('transform') ?? ''
    );
    const dx = shift ? Number(shift[1]) : 0;
    return (line.getAttribute('points') ?? '')
      .split(' ')
      .map(pair => pair.split(',').map(Number))
      .map(([x, y]) => [x + dx, y] as [number, number]);
  });
}

/** The points a full drawing of `data` puts on screen. */
function expected(data: ISparklineData): [number, number][][] {
  return sparklinePaths(data.frame, data.values).map(path =>
    path.split(' ').map(pair => pair.split(',').map(Number) as [number, number])
  );
}

function expectClose(
  actual: [number, number][][],
  wanted: [number, number][][]
): void {
  expect(actual.map(l => l.length)).toEqual(wanted.map(l => l.length));
  actual.forEach((line, i) =>
    line.forEach(([x, y], k) => {
      // Full drawings round to 0.1 px; a slid line keeps exact coordinates.
      expect(Math.abs(x - wanted[i][k][0])).toBeLessThan(0.06);
      expect(Math.abs(y - wanted[i][k][1])).toBeLessThan(0.06);
    })
  );
}

describe('SparklinePainter', () => {
  let restore: () => void;
  beforeEach(() => {
    restore = withPointLists();
  });
  afterEach(() => restore());

  // 13 samples cover the minute; the series moves one sample per poll.
  const series = (poll: number) =>
    [...Array(13).keys()].map(i => ((i + poll) * 7) % 10);

  it('slides a line whose window moved forward, to where a full drawing puts it', () => {
    const painter = new SparklinePainter();
    const svg = frameElement();
    painter.attach(1, svg);
    let data = drawing(100, series(0));
    painter.paint(new Map([[1, data]]));
    expect(svg.querySelector('polyline')!.hasAttribute('transform')).toBe(
      false
    );
    expectClose(onScreen(svg), expected(data));

    for (let poll = 1; poll <= 30; poll++) {
      data = drawing(100 + poll, series(poll));
      painter.paint(new Map([[1, data]]));
      expect(svg.querySelectorAll('polyline')).toHaveLength(1);
      expect(svg.querySelector('polyline')!.hasAttribute('transform')).toBe(
        true
      );
      expectClose(onScreen(svg), expected(data));
    }
    expect(svg.getAttribute('aria-label')).toBe(data.label);
    expect(svg.querySelector('title')!.textContent).toBe(data.label);
  });

  it('writes the line again when the past changed, a gap or an unknown value came', () => {
    const painter = new SparklinePainter();
    const svg = frameElement();
    painter.attach(1, svg);
    painter.paint(new Map([[1, drawing(100, series(0))]]));
    painter.paint(new Map([[1, drawing(101, series(1))]]));

    // A sample of the overlap differs: a full drawing, no transform left.
    const rewritten = series(2);
    rewritten[3] = 9;
    let data = drawing(102, rewritten);
    painter.paint(new Map([[1, data]]));
    expect(svg.querySelector('polyline')!.hasAttribute('transform')).toBe(
      false
    );
    expectClose(onScreen(svg), expected(data));

    // An unknown value splits the line in two.
    const broken: (number | null)[] = series(3);
    broken[6] = null;
    data = drawing(103, broken);
    painter.paint(new Map([[1, data]]));
    expect(svg.querySelectorAll('polyline')).toHaveLength(2);
    expectClose(onScreen(svg), expected(data));

    // Nothing known: no line, no label.
    painter.paint(new Map());
    expect(svg.querySelectorAll('polyline')).toHaveLength(0);
    expect(svg.hasAttribute('aria-label')).toBe(false);
  });

  it('keeps a frame attached again and its lines', () => {
    const painter = new SparklinePainter();
    const svg = frameElement();
    painter.attach(1, svg);
    painter.paint(new Map([[1, drawing(100, series(0))]]));
    painter.attach(1, null);
    painter.attach(1, svg);
    const data = drawing(101, series(1));
    painter.paint(new Map([[1, data]]));
    expect(svg.querySelectorAll('polyline')).toHaveLength(1);
    expectClose(onScreen(svg), expected(data));
  });
});
