import { LabIcon } from '@jupyterlab/ui-components';

/**
 * The sidebar icon: a Spark-like burst over executor slots.
 */
export const glueSessionsIcon = new LabIcon({
  name: 'glue-sessions:executors',
  svgstr: `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <rect x="2" y="14" width="4" height="8" rx="1"/>
    <rect x="7" y="10" width="4" height="12" rx="1"/>
    <rect x="12" y="17" width="4" height="5" rx="1"/>
    <rect x="17" y="6" width="4" height="16" rx="1"/>
    <path d="M9 2l1.2 3.1L13.5 6l-3.3 0.9L9 10 7.8 6.9 4.5 6l3.3-0.9z"/>
  </g>
</svg>`
});
