// Recipients as operators and logs see them: enough to tell two apart, not enough to reuse.
export const maskEmail = (address: string) => address.replace(/^(.)[^@]*(@.*)$/, '$1***$2');
export const maskPhone = (phone: string) => phone.replace(/^(\+\d{2})\d+(\d{4})$/, '$1******$2');
