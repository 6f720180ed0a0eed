/** Words of the overview page(s); keys start with 'overview.'. */
export const zh = {
  'overview.title': 'overview',
} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {
  'overview.title': 'overview',
};
