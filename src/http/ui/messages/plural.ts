const rules = { en: new Intl.PluralRules('en'), fr: new Intl.PluralRules('fr') }

/** Picks the singular or plural form of a message by the language's plural rules (French counts 0 as singular). */
export function plural(locale: 'en' | 'fr', n: number, one: string, other: string): string {
  return rules[locale].select(n) === 'one' ? one : other
}
