/**
 * Go's `time.ParseDuration` and `time.Duration.String`, for `metav1.Duration` fields (`terminationDelay`). The
 * webhook decodes the field with `ParseDuration` and writes it back with `String`, so `4h` is stored as `4h0m0s`.
 */
import { goQuote } from './json';

const NS = 1n;
const UNITS: Record<string, bigint> = {
  ns: NS,
  us: 1000n,
  '\u00b5s': 1000n,
  '\u03bcs': 1000n,
  ms: 1000000n,
  s: 1000000000n,
  m: 60n * 1000000000n,
  h: 3600n * 1000000000n,
};
const MAX_UINT63 = 1n << 63n;

/** A parsed duration in nanoseconds, or the error message Go would return. */
export type ParsedDuration = { readonly ok: true; readonly nanos: bigint } | { readonly ok: false; readonly error: string };

/** `time.ParseDuration`. */
export function parseGoDuration(input: string): ParsedDuration {
  const invalid = (): ParsedDuration => ({ ok: false, error: `time: invalid duration ${goQuote(input)}` });
  let s = input;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') {
    return { ok: true, nanos: 0n };
  }
  if (s === '') {
    return invalid();
  }
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) {
      return invalid();
    }
    const intPart = /^[0-9]*/.exec(s)![0];
    s = s.slice(intPart.length);
    let fracDigits = '';
    if (s[0] === '.') {
      s = s.slice(1);
      fracDigits = /^[0-9]*/.exec(s)![0];
      s = s.slice(fracDigits.length);
      if (intPart === '' && fracDigits === '') {
        return invalid();
      }
    } else if (intPart === '') {
      return invalid();
    }
    const v = intPart === '' ? 0n : BigInt(intPart);
    if (v >= MAX_UINT63) {
      return invalid();
    }
    const unitText = /^[^0-9.]*/.exec(s)![0];
    s = s.slice(unitText.length);
    if (unitText === '') {
      return { ok: false, error: `time: missing unit in duration ${goQuote(input)}` };
    }
    const unit = UNITS[unitText];
    if (unit === undefined) {
      return { ok: false, error: `time: unknown unit ${goQuote(unitText)} in duration ${goQuote(input)}` };
    }
    if (v > MAX_UINT63 / unit) {
      return invalid();
    }
    let part = v * unit;
    const { f, scale } = leadingFraction(fracDigits);
    if (f > 0) {
      part += BigInt(Math.floor(f * (Number(unit) / scale)));
      if (part > MAX_UINT63) {
        return invalid();
      }
    }
    total += part;
    if (total > MAX_UINT63) {
      return invalid();
    }
  }
  if (neg) {
    return { ok: true, nanos: -total };
  }
  if (total > MAX_UINT63 - 1n) {
    return invalid();
  }
  return { ok: true, nanos: total };
}

/** Go's `leadingFraction`: digits beyond float precision are dropped, as in Go. */
function leadingFraction(digits: string): { f: number; scale: number } {
  let f = 0n;
  let scale = 1;
  let overflow = false;
  for (const c of digits) {
    if (overflow) {
      continue;
    }
    if (f > (MAX_UINT63 - 1n) / 10n) {
      overflow = true;
      continue;
    }
    const next = f * 10n + BigInt(c.charCodeAt(0) - 48);
    if (next > MAX_UINT63) {
      overflow = true;
      continue;
    }
    f = next;
    scale *= 10;
  }
  return { f: Number(f), scale };
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** `time.Duration.String`: `4h0m0s`, `1.5s`, `300ms`, `0s`. */
export function formatGoDuration(nanos: bigint): string {
  const neg = nanos < 0n;
  let u = neg ? -nanos : nanos;
  let out: string;
  if (u < 1000000000n) {
    if (u === 0n) {
      return '0s';
    }
    if (u < 1000n) {
      out = `${u}ns`;
    } else if (u < 1000000n) {
      out = `${fraction(u, 3)}\u00b5s`;
    } else {
      out = `${fraction(u, 6)}ms`;
    }
  } else {
    const seconds = fraction(u, 9, true);
    u /= 1000000000n;
    out = `${seconds}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) {
        out = `${u}h${out}`;
      }
    }
  }
  return neg ? `-${out}` : out;
}

/** `v / 10^prec` printed with its fraction (trailing zeros and a bare dot dropped); `mod60` keeps whole seconds mod 60. */
function fraction(v: bigint, prec: number, mod60 = false): string {
  const div = 10n ** BigInt(prec);
  let whole = v / div;
  if (mod60) {
    whole %= 60n;
  }
  const frac = (v % div).toString().padStart(prec, '0').replace(/0+$/, '');
  return frac === '' ? `${whole}` : `${whole}.${frac}`;
}
