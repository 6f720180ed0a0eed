/** Words of the assessment page(s); keys start with 'assessment.'. */
export const zh = {
  'assessment.title': 'assessment',
} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {
  'assessment.title': 'assessment',
};
