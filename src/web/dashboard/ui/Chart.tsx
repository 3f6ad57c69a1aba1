import { useEffect, useRef } from 'react';
import { type EChartsOption, echarts } from './echarts.ts';

/**
 * One ECharts instance bound to a div: created once, given each new option, resized with its box (the
 * layout changes between a laptop and a tablet), disposed on unmount. `onRendered` fires after the
 * first frame that shows the data, which the paint benchmark marks.
 */
export function Chart({
  option,
  label,
  testId,
  height = 280,
  onRendered,
}: {
  option: EChartsOption;
  label: string;
  testId?: string;
  height?: number;
  onRendered?: () => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const rendered = useRef(onRendered);
  rendered.current = onRendered;

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.setOption(option, { notMerge: true });
    const done = () => {
      c.off('finished', done);
      rendered.current?.();
    };
    c.on('finished', done);
    return () => {
      c.off('finished', done);
    };
  }, [option]);

  return (
    <div ref={el} className="chart" role="img" aria-label={label} data-testid={testId} style={{ height }} />
  );
}
