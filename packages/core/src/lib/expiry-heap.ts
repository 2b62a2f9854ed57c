/** A binary min-heap of (expiresAt, key): forgetting expired entries costs O(log n) each, with no timers. */
export class ExpiryHeap {
  readonly #times: number[] = []
  readonly #keys: string[] = []

  get size(): number {
    return this.#times.length
  }

  push(expiresAt: number, key: string): void {
    this.#times.push(expiresAt)
    this.#keys.push(key)
    let i = this.#times.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.#times[parent]! <= this.#times[i]!) break
      this.#swap(i, parent)
      i = parent
    }
  }

  clear(): void {
    this.#times.length = 0
    this.#keys.length = 0
  }

  /** Removes and yields every key whose time is at or before `now`. */
  *popExpired(now: number): Generator<string> {
    while (this.#times.length > 0 && this.#times[0]! <= now) {
      const key = this.#keys[0]!
      const lastTime = this.#times.pop()!
      const lastKey = this.#keys.pop()!
      if (this.#times.length > 0) {
        this.#times[0] = lastTime
        this.#keys[0] = lastKey
        this.#siftDown(0)
      }
      yield key
    }
  }

  #siftDown(start: number): void {
    let i = start
    const n = this.#times.length
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let smallest = i
      if (left < n && this.#times[left]! < this.#times[smallest]!) smallest = left
      if (right < n && this.#times[right]! < this.#times[smallest]!) smallest = right
      if (smallest === i) return
      this.#swap(i, smallest)
      i = smallest
    }
  }

  #swap(a: number, b: number): void {
    ;[this.#times[a], this.#times[b]] = [this.#times[b]!, this.#times[a]!]
    ;[this.#keys[a], this.#keys[b]] = [this.#keys[b]!, this.#keys[a]!]
  }
}
