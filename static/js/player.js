/**
 * Play / pause over the timeline: calls `advance()` every 1/speed seconds until it answers
 * false or pause() is called. No DOM: the clock (`wait`) is injected so tests run fast.
 * A token cancels a stale loop, so pause-then-play never leaves two loops running.
 */

const defaultWait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Player {
  /**
   * @param {() => Promise<boolean>} advance one step; false stops the play
   * @param {{wait?: (ms: number) => Promise<void>, speed?: number, onChange?: (playing: boolean) => void}} options
   */
  constructor(advance, { wait = defaultWait, speed = 1, onChange = () => {} } = {}) {
    this.advance = advance;
    this.wait = wait;
    this.speed = speed;
    this.onChange = onChange;
    this.token = 0;
    this.playing = false;
  }

  /** Milliseconds between two steps at the current speed (steps per second). */
  get interval() {
    return 1000 / this.speed;
  }

  play() {
    if (this.playing) return;
    this.playing = true;
    this.onChange(true);
    this.token += 1;
    this.loop(this.token);
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.token += 1;
    this.onChange(false);
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  async loop(token) {
    while (token === this.token) {
      await this.wait(this.interval);
      if (token !== this.token) return;
      let moved = false;
      try {
        moved = await this.advance();
      } finally {
        if (!moved && token === this.token) this.pause();
      }
    }
  }
}
