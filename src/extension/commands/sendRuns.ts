// Sends running in this window, so Stop (or cancelling the progress notification) can abort them
// at once; a send in another process is stopped through the state files (stopMailing).
import type * as vscode from 'vscode';

export class SendRuns {
  private readonly running = new Map<string, AbortController>();

  begin(uri: vscode.Uri): AbortController {
    const controller = new AbortController();
    this.running.get(uri.toString())?.abort();
    this.running.set(uri.toString(), controller);
    return controller;
  }

  end(uri: vscode.Uri, controller: AbortController): void {
    if (this.running.get(uri.toString()) === controller) this.running.delete(uri.toString());
  }

  isRunning(uri: vscode.Uri): boolean {
    return this.running.has(uri.toString());
  }

  /** Aborts this window's run of the mailing; false when none runs here. */
  abort(uri: vscode.Uri): boolean {
    const controller = this.running.get(uri.toString());
    controller?.abort();
    return controller !== undefined;
  }

  abortAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }
}
