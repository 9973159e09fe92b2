// Command ids, in one place: package.json contributes the same strings.
export const COMMANDS = {
  confirm: 'mailings.confirm',
  sendTest: 'mailings.sendTest',
  sendNow: 'mailings.sendNow',
  schedule: 'mailings.schedule',
  stop: 'mailings.stop',
  start: 'mailings.start',
  resend: 'mailings.resend',
  showStatistics: 'mailings.showStatistics',
  checkLinks: 'mailings.checkLinks',
  checkSpamScore: 'mailings.checkSpamScore',
  setSmtpPassword: 'mailings.setSmtpPassword',
  validateWorkspace: 'mailings.validateWorkspace',
  newMailing: 'mailings.newMailing',
  openSmtpSettings: 'mailings.openSmtpSettings',
  showLog: 'mailings.showLog',
  refreshView: 'mailings.refreshView',
} as const;

