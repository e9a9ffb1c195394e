import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'

/*
 * The contract's `?q=` rule, in one place for every searchable table.
 *
 * Searched columns are stored a second time, normalised by PostgreSQL itself in generated columns
 * (`searchTextSql`, `compactSql`): `lower(normalize(x, NFKC))`, and for identifiers (plates, VINs,
 * phone numbers) also without spaces, `-`, `.` and `/`. The search word gets the same treatment: NFKC
 * here (so that a no-break space splits words), `lower()` in the query (so that both sides use the
 * server's case mapping, not JavaScript's), and LIKE metacharacters escaped after NFKC (a full-width
 * `％` becomes `%` and must then match itself). pg_trgm GIN indexes on the generated columns serve the
 * `LIKE '%…%'`. Why generated columns and not repository code: docs/decisions/009-search.md.
 */

/** The characters an identifier ignores on both sides (`AB18CDE` finds `AB18 CDE`). */
const IGNORED_IN_IDENTIFIERS = /[\s./-]/gu
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u

/** One word of a search: a LIKE pattern for the literal text, and one for identifiers, if it applies. */
export interface SearchWord {
  /** `%word%`, NFKC-normalised, metacharacters escaped; lower-case it in SQL. */
  literal: string
  /** The same without spaces, `-`, `.`, `/`; null for a word with no letter or digit (it matches literally only). */
  compact: string | null
}

function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** The words of a `?q=`: NFKC first, then split on white space; none for a blank query. */
export function searchWords(q: string | undefined): SearchWord[] {
  if (q === undefined) return []
  return q
    .normalize('NFKC')
    .split(/\s+/u)
    .filter((word) => word.length > 0)
    .map((word) => {
      const compact = word.replace(IGNORED_IN_IDENTIFIERS, '')
      return { literal: likeContains(word), compact: HAS_LETTER_OR_DIGIT.test(compact) ? likeContains(compact) : null }
    })
}

/** `column LIKE lower(pattern)`: the column must already be lower-cased (a generated search column). */
export function likeLower(column: SQLWrapper, pattern: string): SQL {
  return sql`${column} like lower(${pattern})`
}

/**
 * The generated-column expression of the literal search text: the fields, NFKC-normalised and
 * lower-cased, one per line (a search word never holds a line break, so it never spans two fields).
 * Column names are raw SQL: a generated column may not name its table.
 */
export function searchTextSql(...columns: string[]): SQL {
  return sql.raw(`lower(normalize(${columns.map((c) => `coalesce(${c}, '')`).join(" || chr(10) || ")}, NFKC))`)
}

/** The generated-column expression of identifiers: as `searchTextSql`, each field without spaces, `-`, `.`, `/`. */
export function compactSql(...columns: string[]): SQL {
  return sql.raw(
    columns.map((c) => `regexp_replace(lower(normalize(coalesce(${c}, ''), NFKC)), '[[:space:]./-]', '', 'g')`).join(' || chr(10) || '),
  )
}
