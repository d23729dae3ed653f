#!/usr/bin/env python3
"""pdf_text.py PDF MARKDOWN: exit 0 when the body text pdftotext extracts from
the PDF equals the expanded Markdown, character for character (Chinese,
digits, full-width punctuation), in order. Normalised: what a PDF cannot
carry - line breaks and blanks, page numbers, tables and chart labels
(text smaller than the 16 pt body), the diagonal mark - and the Markdown
markup. On a difference it prints where (used by test_e2e_pdf)."""
import re, subprocess, sys, html
pdf, md = sys.argv[1], sys.argv[2]
x = subprocess.run(['pdftotext', '-raw', '-bbox', pdf, '-'], capture_output=True, text=True).stdout
# Body text only, in content order: 16 pt text and the larger titles. The
# size of a word is its width per character (a full-width character is one
# em, others half); smaller text is the page number, table cells and
# captions and the chart's labels, which are not running text; the
# diagonal mark is taller than any line.
out = []
for w in re.finditer(r'<word xMin="([^"]*)" yMin="([^"]*)" xMax="([^"]*)" yMax="([^"]*)">(.*?)</word>', x):
    x0, y0, x1, y1 = (float(w.group(i)) for i in range(1, 5))
    t = html.unescape(w.group(5))
    ems = sum(1 if ord(c) >= 0x2E80 else 0.5 for c in t)
    if not 15 <= y1 - y0 <= 30 or not ems or (x1 - x0) / ems < 15.0 or t == '—':
        continue  # (a lone dash is the page number's: — N —)
    out.append(t)
lines = out
md_src = open(md, encoding='utf-8').read()
# What the renderer adds by design when the template does not write it:
# the 征求意见稿 text mark under the title, the 附件说明 before the 落款.
if '征求意见稿' not in md_src:
    lines = [l for l in lines if l != '（征求意见稿）']
if '附件：' not in md_src:
    kept, in_note = [], False
    for l in lines:
        if l.startswith('附件：'):
            in_note = True
            continue
        if in_note and re.match(r'^\d+．', l):
            continue
        in_note = False
        kept.append(l)
    lines = kept
pdf_text = re.sub(r'\s', '', ''.join(lines))
paras = []
for line in md_src.split('\n'):
    if not line.strip() or line[0] in '|<{' or line.startswith('---'):
        continue
    t = re.sub(r'^(#+|>)\s*', '', line)
    t = t.replace('*', '').replace('\\', '')
    t = re.sub(r'^(\d+)\.\s', r'\1．', t)   # a list marker "2." is typeset "2．"
    t = re.sub(r'^(附件\d+)：', r'\1', t)    # the annex label 附件1, its title below
    paras.append(re.sub(r'\s', '', t.replace('\u3000', '')))
md_text = ''.join(paras)
if pdf_text == md_text:
    print('equal', len(md_text))
    sys.exit(0)
i = 0
while i < min(len(pdf_text), len(md_text)) and pdf_text[i] == md_text[i]:
    i += 1
print('differ at', i, 'of', len(md_text), len(pdf_text))
print('md : ', md_text[max(0, i - 40):i + 60])
print('pdf: ', pdf_text[max(0, i - 40):i + 60])
sys.exit(1)
