import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  file_name: string;
  mime_type: string;
  content: Buffer;
}

/** Files users sent and documents the bot uploaded, by file_id, served at /file/bot<token>/<path>. */
export class FileStore {
  private nextFileId = 1;
  private readonly files = new Map<string, StoredFile>();

  store(fileName: string, mimeType: string, content: Buffer): StoredFile {
    const n = this.nextFileId++;
    const file: StoredFile = {
      file_id: `FILE${n}-${randomUUID()}`,
      file_unique_id: `U${n}`,
      file_path: `documents/file_${n}${/\.[A-Za-z0-9]+$/.exec(fileName)?.[0] ?? ''}`,
      file_name: fileName,
      mime_type: mimeType,
      content,
    };
    this.files.set(file.file_id, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.files.get(fileId);
  }

  /** getFile's answer (https://core.telegram.org/bots/api#getfile). */
  describe(file: StoredFile): Record<string, unknown> {
    return {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.content.length,
      file_path: file.file_path,
    };
  }

  /** The download of a file_path getFile handed out. */
  serve(res: ServerResponse, path: string): void {
    const file = [...this.files.values()].find((f) => f.file_path === path);
    if (!file) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.content.length })
      .end(file.content);
  }
}
