/** The parser's output: one family per metric name, as prom2json prints it. */
declare module 'parse-prometheus-text-format' {
  export interface Family {
    name: string
    help: string
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED'
    metrics: {
      value?: string
      labels?: Record<string, string>
      buckets?: Record<string, string>
      count?: string
      sum?: string
    }[]
  }
  export default function parsePrometheusTextFormat(text: string): Family[]
}
