/**
 * A small streaming CSV/TSV record parser (RFC 4180 quoting) that knows the physical line each
 * record starts on. It is used where DuckDB's reader cannot tell us line numbers: files with
 * quoted line breaks or blank lines, and for the header row. Regular files skip it entirely and go
 * straight to DuckDB's reader (see source.ts).
 */
import { detectDelimiter } from '../contract/header.ts';

export { detectDelimiter };
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvRecordParser {
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  private quotePending = false; // saw a quote inside a quoted field: either "" or the closing quote
  private line = 1;
  private recordLine = 1;
  private fieldStarted = false;
  private lastWasCR = false;

  constructor(
    private readonly delimiter: string,
    private readonly onRecord: (r: CsvRecord) => void,
  ) {}

  /** The physical line the parser has reached (1-based). */
  get currentLine(): number {
    return this.line;
  }

  push(text: string): void {
    const d = this.delimiter;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (this.lastWasCR) {
        this.lastWasCR = false;
        if (ch === '\n') continue; // CRLF already ended the record / counted the line
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (ch === '"') {
            this.field += '"';
            continue;
          }
          this.inQuotes = false; // the quote closed the field; fall through to unquoted handling
        } else if (ch === '"') {
          this.quotePending = true;
          continue;
        } else {
          if (ch === '\n' || ch === '\r') {
            this.line++;
            if (ch === '\r') this.lastWasCR = true;
            this.field += '\n';
          } else this.field += ch;
          continue;
        }
      }
      if (ch === d) {
        this.fields.push(this.field);
        this.field = '';
        this.fieldStarted = true;
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r') this.lastWasCR = true;
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
      } else if (ch === '"' && this.field === '') {
        this.inQuotes = true;
        this.fieldStarted = true;
      } else {
        this.field += ch;
        this.fieldStarted = true;
      }
    }
  }

  end(): void {
    if (this.inQuotes && this.quotePending) this.inQuotes = false;
    this.endRecord();
  }

  private endRecord(): void {
    if (!this.fieldStarted && this.fields.length === 0 && this.field === '') return; // blank line
    this.fields.push(this.field);
    this.onRecord({ line: this.recordLine, fields: this.fields });
    this.fields = [];
    this.field = '';
    this.fieldStarted = false;
  }
}

/** Quote one value for the normalized CSV we hand to DuckDB (always quoted, quotes doubled). */
export function csvQuote(v: string): string {
  return `"${v.replaceAll('"', '""')}"`;
}

/** Parse the first record of a text (the header), with the given delimiter. */
export function parseFirstRecord(text: string, delimiter: string): CsvRecord | undefined {
  let first: CsvRecord | undefined;
  const p = new CsvRecordParser(delimiter, (r) => {
    first ??= r;
  });
  // Stop at the first line break outside quotes is not known in advance; the header is short, so
  // parsing the leading chunk is enough.
  p.push(text);
  p.end();
  return first;
}

