import { AppLogger, Injectable, type OnInit } from 'kubernetes-rpc';

/** Where greetings come from; a real app would read them from a database. */
@Injectable()
export class GreetingRepository implements OnInit {
  private salutation = 'Hello';

  constructor(private readonly log: AppLogger) {}

  onInit(): void {
    this.salutation = process.env.GREETER_SALUTATION ?? 'Hello';
    if (this.salutation !== 'Hello') this.log.info({ salutation: this.salutation }, 'greeting with a custom salutation');
  }

  greet(name: string): string {
    return `${this.salutation} ${name}`;
  }
}
