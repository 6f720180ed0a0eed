/** Words of the supervision page(s); keys start with 'supervision.'. */
export const zh = {
  'supervision.title': 'supervision',
} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {
  'supervision.title': 'supervision',
};
