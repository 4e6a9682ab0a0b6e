/** The value `make` returns on the first call, kept for every later one (a module loaded on first use). */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
