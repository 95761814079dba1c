import { Injectable, type OnInit } from 'kubernetes-rpc';

/** Where greetings come from; a real app would read them from a database. */
@Injectable()
export class GreetingRepository implements OnInit {
  private salutation = 'Hello';

  onInit(): void {
    this.salutation = process.env.GREETER_SALUTATION ?? 'Hello';
  }

  greet(name: string): string {
    return `${this.salutation} ${name}`;
  }
}
