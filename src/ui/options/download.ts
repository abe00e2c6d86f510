// Saves text as a file the user downloads (a Blob link), named proxy-auth-keeper-<what>-<date>.<ext>.
export function fileName(what: string, ext: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `proxy-auth-keeper-${what}-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.${ext}`;
}

export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // the browser reads the blob asynchronously: keep it a while
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
