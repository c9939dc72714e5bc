import { useId, type ReactNode } from 'react';

/**
 * One chart of the usage page: a heading, the drawing with a one-sentence summary as its caption, and the same
 * numbers as a table behind a native <details>, reachable and readable with a keyboard and a screen reader.
 */
export function ChartSection(props: {
  title: string;
  /** One sentence that says what the drawing shows. */
  summary: string;
  /** Shown instead of chart and table while there is nothing to draw: what will appear here, and when. */
  empty: string | null;
  chart: ReactNode;
  table: ReactNode;
  testId: string;
}) {
  const titleId = useId();
  return (
    <section className="panel usage-chart" aria-labelledby={titleId} data-testid={props.testId}>
      <h2 id={titleId}>{props.title}</h2>
      {props.empty !== null ? (
        <p className="muted" data-testid="empty-state">
          {props.empty}
        </p>
      ) : (
        <>
          <figure className="usage-figure">
            {props.chart}
            <figcaption className="muted small">{props.summary}</figcaption>
          </figure>
          <details className="usage-table">
            <summary>Table view</summary>
            {props.table}
          </details>
        </>
      )}
    </section>
  );
}

/** A chart's numbers as an accessible table: a caption, column headers, the first cell of each row a row header. */
export function DataTable(props: { caption: string; columns: string[]; rows: Array<Array<string | number>> }) {
  return (
    <table className="data-table">
      <caption className="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map(([head, ...cells]) => (
          <tr key={String(head)}>
            <th scope="row">{head}</th>
            {cells.map((cell, index) => (
              <td key={index}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
