/** The buyer's return reasons as the parties read them in a report. */
export const RETURN_REASONS: Record<string, string> = {
  invalid_phone: 'Invalid phone number',
  invalid_email: 'Invalid e-mail address',
  duplicate: 'Duplicate of a lead already bought',
  fake_or_fraud: 'Fake or fraudulent',
  no_consent: 'No valid consent',
  filter_mismatch: "Does not match the order's filters",
  other: 'Other',
};
