-- 003 · Parsing macros used by ingestion's validation SQL (SPEC §2): each turns one trimmed raw
-- string into a typed value, or NULL when it cannot be read. Validation compares "raw present"
-- with "typed is NULL" to reject the row with a reason; nothing is guessed or silently fixed.

-- Trim ASCII and full-width (U+3000) spaces; an empty cell is NULL. Most cells need no trim, and
-- the LIKE tests are several times cheaper than trimming every cell of a million-row file.
CREATE MACRO clean_text(s) AS CASE
  WHEN s = '' THEN NULL
  WHEN s LIKE ' %' OR s LIKE '% ' OR s LIKE '　%' OR s LIKE '%　'
    OR contains(s, chr(9)) OR contains(s, chr(10)) OR contains(s, chr(13))
    THEN nullif(trim(s, ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '')
  ELSE s
END;

-- Timestamps are China local time. Accepted: 2025-05-03 14:20[:ss], 2025/5/3 14:20,
-- 2025年5月3日 14:20, ISO 8601 (with an offset it is converted to Asia/Shanghai), a date alone
-- (midnight). Excel serial dates are turned into text by the XLSX reader before this.
CREATE MACRO parse_ts(s) AS CASE
  WHEN s IS NULL THEN NULL
  WHEN regexp_matches(s, '\d[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$')
    THEN timezone('Asia/Shanghai', try_cast(s AS TIMESTAMPTZ))
  ELSE coalesce(
    try_cast(s AS TIMESTAMP),
    try_strptime(s, [
      '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d',
      '%Y年%m月%d日 %H:%M:%S', '%Y年%m月%d日 %H:%M', '%Y年%m月%d日%H:%M:%S', '%Y年%m月%d日%H:%M',
      '%Y年%m月%d日 %H时%M分', '%Y年%m月%d日',
      '%Y.%m.%d %H:%M:%S', '%Y.%m.%d %H:%M', '%Y.%m.%d'
    ]))
END;

CREATE MACRO parse_date(s) AS CAST(parse_ts(s) AS DATE);

-- A month: 2025-05, 2025/5, 2025年5月, 202505, or any date inside it; the first day is stored.
CREATE MACRO parse_month(s) AS CASE
  WHEN s IS NULL THEN NULL
  ELSE CAST(coalesce(
    try_strptime(s, ['%Y-%m', '%Y/%m', '%Y年%m月', '%Y%m', '%Y.%m']),
    date_trunc('month', parse_ts(s))) AS DATE)
END;

-- Booleans: 是/否, Y/N, yes/no, true/false, 1/0 (any case).
CREATE MACRO parse_bool(s) AS CASE lower(s)
  WHEN '是' THEN true WHEN 'y' THEN true WHEN 'yes' THEN true WHEN 'true' THEN true WHEN '1' THEN true
  WHEN '否' THEN false WHEN 'n' THEN false WHEN 'no' THEN false WHEN 'false' THEN false WHEN '0' THEN false
END;

-- Grades (seed 001): A..E in any case, their points 2, 1, 0, -1, -2, or 优/良/中/差/很差.
-- Stored as the letter; points are policy and applied in the models.
CREATE MACRO parse_grade(s) AS CASE upper(s)
  WHEN 'A' THEN 'A' WHEN 'B' THEN 'B' WHEN 'C' THEN 'C' WHEN 'D' THEN 'D' WHEN 'E' THEN 'E'
  WHEN '2' THEN 'A' WHEN '+2' THEN 'A' WHEN '1' THEN 'B' WHEN '+1' THEN 'B' WHEN '0' THEN 'C'
  WHEN '-1' THEN 'D' WHEN '-2' THEN 'E'
  WHEN '优' THEN 'A' WHEN '良' THEN 'B' WHEN '中' THEN 'C' WHEN '差' THEN 'D' WHEN '很差' THEN 'E'
END;

-- Plain decimal numbers (no thousands separators, no units: "1,200" or "12km" is rejected
-- rather than guessed).
CREATE MACRO parse_number(s) AS CASE
  WHEN regexp_full_match(s, '[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?') THEN CAST(s AS DOUBLE)
END;

-- Money in yuan with at most two decimals; more decimals would need rounding, so they are rejected.
CREATE MACRO parse_money(s) AS CASE
  WHEN regexp_full_match(s, '[+-]?\d+(\.\d{1,2})?') THEN CAST(s AS DECIMAL(18,2))
END;
