// Objects of @azure/functions' classes (HttpRequest, InvocationContext) built without running the
// library's constructors. The library keeps each instance's private state in module WeakMaps (its
// TypeScript private fields are compiled down), so one HttpRequest costs three WeakMap inserts
// plus what they cost the garbage collector, and one InvocationContext five — together a few µs
// per HTTP request, more than routing it. A local class extends `constructorless(Library.prototype)`
// instead: its instances are `instanceof` the library class, report the library class as their
// `constructor` (so `util.inspect` names it the same), have the same own properties in the same
// order, and keep their state in real private fields. Each such class overrides every method and
// accessor of the library prototype it inherits (test/unit/local/core/library-objects.test.ts checks that),
// since the inherited ones would look for state the library never stored.

/** A base class with `proto` as its instances' prototype and a constructor that does nothing. */
export function constructorless(proto: object): new () => object {
  const Base = function () {} as unknown as new () => object;
  Base.prototype = proto;
  return Base;
}

/** Makes `Local.prototype.constructor` the library class it stands in for. */
export function standIn(Local: { prototype: object }, libraryClass: unknown): void {
  Object.defineProperty(Local.prototype, 'constructor', {
    value: libraryClass,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
