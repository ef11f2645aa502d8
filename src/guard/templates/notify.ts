/** The default spend notifier: a JSON POST to a webhook (Slack, Discord and most chat tools accept `text`). */
import type { SpendAlert, SpendNotifier } from './types.js';

const WEBHOOK_TIMEOUT_MS = 5000;

export function webhookNotifier(url: string | undefined): SpendNotifier {
  return async (alert) => {
    const text = describeAlert(alert);
    if (!url) {
      console.warn(`ai-guard: ${text}`);
      return;
    }
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, alert }),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`spend alert webhook answered ${response.status}`);
  };
}

export function describeAlert(alert: SpendAlert): string {
  const spent = `$${alert.spentUsd.toFixed(2)}`;
  return alert.kind === 'threshold'
    ? `AI spend on ${alert.day} reached ${spent}, past the alert threshold of $${alert.thresholdUsd.toFixed(2)}.`
    : `AI spend on ${alert.day} reached ${spent}, over ${(alert.thresholdUsd / alert.previousDayUsd).toFixed(0)}x the previous day's $${alert.previousDayUsd.toFixed(2)}.`;
}
