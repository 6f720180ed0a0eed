/** Words of the data page(s); keys start with 'data.'. */
export const zh = {
  'data.title': 'data',
} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {
  'data.title': 'data',
};
