/** A parameter value as a notebook receives it: JSON-like, typed. */
export type ParamValue = null | number | string | boolean | ParamValue[] | { [key: string]: ParamValue };

/**
 * Writes parameter values as source code in one kernel language. As in papermill, the base class has one method
 * per value type and each language overrides only what differs.
 *
 * @example
 * new PythonTranslator().codify({ zmax: 1.5, spectype: 'QSO' }) // "# Parameters\nzmax = 1.5\nspectype = 'QSO'\n"
 */
export abstract class Translator {
  translateNone(): string {
    return 'null';
  }
  translateBool(v: boolean): string {
    return v ? 'true' : 'false';
  }
  translateInt(v: number): string {
    return String(v);
  }
  translateFloat(v: number): string {
    return String(v);
  }
  translateStr(v: string): string {
    return JSON.stringify(v);
  }
  translateList(v: ParamValue[]): string {
    return `[${v.map((x) => this.translate(x)).join(', ')}]`;
  }
  translateDict(v: { [key: string]: ParamValue }): string {
    return `{${Object.entries(v)
      .map(([k, x]) => `${this.translateStr(k)}: ${this.translate(x)}`)
      .join(', ')}}`;
  }
  abstract comment(text: string): string;
  /** One assignment; `keyword` is the declaration the parameters cell used (`const`, `let`), where the language has one. */
  abstract assign(name: string, code: string, keyword?: string): string;

  /** Dispatches on the value's type. */
  translate(v: ParamValue): string {
    if (v === null) return this.translateNone();
    if (typeof v === 'boolean') return this.translateBool(v);
    if (typeof v === 'number') return Number.isInteger(v) ? this.translateInt(v) : this.translateFloat(v);
    if (typeof v === 'string') return this.translateStr(v);
    if (Array.isArray(v)) return this.translateList(v);
    return this.translateDict(v);
  }

  /** The source of an injected-parameters cell. */
  codify(params: Record<string, ParamValue>, keywords: Record<string, string | undefined> = {}): string {
    const lines = [this.comment('Parameters')];
    for (const [name, v] of Object.entries(params)) lines.push(this.assign(name, this.translate(v), keywords[name]));
    return lines.join('\n') + '\n';
  }
}

/** Python: repr-style strings, True/False/None, float('nan'), dicts with repr keys (papermill's PythonTranslator). @example new PythonTranslator().translate({ a: [true, null] }) // "{'a': [True, None]}" */
export class PythonTranslator extends Translator {
  override translateNone(): string {
    return 'None';
  }
  override translateBool(v: boolean): string {
    return v ? 'True' : 'False';
  }
  override translateFloat(v: number): string {
    if (Number.isNaN(v)) return "float('nan')";
    if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "float('-inf')";
    return String(v);
  }
  override translateInt(v: number): string {
    return Number.isFinite(v) ? String(v) : this.translateFloat(v);
  }
  /**
   * Python's repr(): single quotes unless the text holds ' and no ". Control characters (C0, DEL, C1 such as U+0085)
   * become `\xNN`, and the line and paragraph separators U+2028/U+2029 and lone surrogates `\uNNNN`, as repr writes
   * them: `str.splitlines` (which IPython's input handling uses) breaks lines at U+0085, U+2028 and U+2029.
   */
  override translateStr(v: string): string {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'";
    let s = '';
    for (const ch of v) {
      const c = ch.codePointAt(0)!;
      if (ch === '\\' || ch === q) s += '\\' + ch;
      else if (ch === '\n') s += '\\n';
      else if (ch === '\r') s += '\\r';
      else if (ch === '\t') s += '\\t';
      else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) s += '\\x' + c.toString(16).padStart(2, '0');
      else if (c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) s += '\\u' + c.toString(16);
      else s += ch;
    }
    return q + s + q;
  }
  comment(text: string): string {
    return `# ${text}`;
  }
  assign(name: string, code: string): string {
    return `${name} = ${code}`;
  }
}

/** TypeScript and JavaScript: JSON literals, NaN/Infinity, declarations that re-use the parameters cell's keyword. @example new TypeScriptTranslator().assign('zmax', '2', 'const') // 'const zmax = 2;' */
export class TypeScriptTranslator extends Translator {
  /**
   * A JSON string literal with U+2028 and U+2029 escaped: JSON allows them raw, but TypeScript's scanner ends a string
   * literal at them (TS1002 "Unterminated string literal"). Lone surrogates JSON.stringify escapes itself.
   */
  override translateStr(v: string): string {
    return JSON.stringify(v)
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
  }
  override translateFloat(v: number): string {
    return Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? (v > 0 ? 'Infinity' : '-Infinity') : String(v);
  }
  override translateInt(v: number): string {
    return this.translateFloat(v);
  }
  comment(text: string): string {
    return `// ${text}`;
  }
  assign(name: string, code: string, keyword = 'let'): string {
    return `${keyword} ${name} = ${code};`;
  }
}

const REGISTRY = new Map<string, Translator>([
  ['python', new PythonTranslator()],
  ['typescript', new TypeScriptTranslator()],
  ['javascript', new TypeScriptTranslator()],
]);

/**
 * Adds (or replaces) the translator for a kernel language (lower case, as kernel_info's language_info.name).
 *
 * @example
 * registerTranslator('julia', new JuliaTranslator());
 */
export function registerTranslator(language: string, t: Translator): void {
  REGISTRY.set(language.toLowerCase(), t);
}

/**
 * The translator for a kernel language, or undefined when none is registered.
 *
 * @example
 * translatorFor('python')?.translate(true) // 'True'
 */
export function translatorFor(language: string): Translator | undefined {
  return REGISTRY.get(language.toLowerCase());
}

/** The languages with a translator. @example translatorLanguages() // ['javascript', 'python', 'typescript'] */
export function translatorLanguages(): string[] {
  return [...REGISTRY.keys()].sort();
}
