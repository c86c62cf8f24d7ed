/** The print templates (ui-templates/print), compiled once and put together into one HTML document per batch. */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { LabelSize } from './label-size';
import type { PrintPage } from './print-page';

export interface PrintTemplates {
  has(template: string): boolean;
  /** One HTML document, one page per entry, each on its own label size. */
  document(pages: readonly PrintPage[]): string;
}

interface PageTemplate {
  render: Handlebars.TemplateDelegate;
  style: string;
}

const FRAME = 'document';
const STYLE = /<style>([\s\S]*?)<\/style>/g;

/**
 * Each page template carries its own <style>; it is lifted into the document head once, so a 200-label batch
 * carries the CSS once and a template stays one self-contained file to edit.
 */
export function loadPrintTemplates(dir: string): PrintTemplates {
  const hbs = Handlebars.create();
  const pages = new Map<string, PageTemplate>();
  let frame: Handlebars.TemplateDelegate | undefined;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    const name = file.slice(0, -'.hbs'.length);
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    if (name === FRAME) {
      frame = hbs.compile(source, { strict: true });
      continue;
    }
    const style = [...source.matchAll(STYLE)].map((m) => m[1] ?? '').join('\n');
    pages.set(name, { render: hbs.compile(source.replace(STYLE, ''), { strict: true }), style });
  }
  if (!frame) throw new Error(`打印模板目录缺少 ${FRAME}.hbs: ${dir}`);
  const document = frame;

  return {
    has: (template) => pages.has(template),
    document(list) {
      const first = list[0];
      if (!first) throw new RangeError('打印批次没有页面');
      const sizes = new Map<string, LabelSize>();
      const used = new Set<string>();
      const body = list.map((p) => {
        const t = pages.get(p.template);
        if (!t) throw new RangeError(`打印模板不存在: ${p.template}`);
        sizes.set(p.size.name, p.size);
        used.add(p.template);
        return { sizeName: p.size.name, template: p.template, html: t.render(p.view) };
      });
      return document({
        defaultSize: first.size,
        sizes: [...sizes.values()],
        styles: [...used].map((name) => pages.get(name)?.style ?? ''),
        pages: body,
      });
    },
  };
}
