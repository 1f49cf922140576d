#!/usr/bin/env python3
"""The README's results table and the ten-table means, read off the quality benchmark's generated files.

python3 tests/Mta.QualityBenchmark/summarize.py docs/results/quality-small.md docs/results/quality-large.md docs/results/quality-diamonds.md
"""
import re, sys
files=sys.argv[1:]
tables={}
for f in files:
    cur=None; header=None
    for line in open(f):
        m=re.match(r'^### (\S+)',line)
        if m: cur=m.group(1); header=None; tables.setdefault(cur,{}); continue
        if line.startswith('#### ') or line.startswith('## '): cur=None; continue
        if cur and line.startswith('| model'):
            header=[c.strip() for c in line.strip().strip('|').split('|')]; continue
        if cur and header and line.startswith('| ') and not line.startswith('|---'):
            cells=[c.strip() for c in line.strip().strip('|').split('|')]
            tables[cur][cells[0]]=dict(zip(header,cells))
order=['diamonds','lending_club','rotterdam','stackoverflow','penguins','sacramento','meats','cps1985','colon','mlc_churn']
def mm(s): return float(s.split('±')[0])
def spread(s): return float(s.split('±')[1]) if '±' in s else 0
rows=[]
for t in order:
    if t not in tables: continue
    T=tables[t]; L=T['LightGBM per task']; A=T['Attention MT (default)']; S=T.get('Ours single-task')
    mains=[k for k in L if re.search(r'(AUC|MacroAcc|R²)$',k)]
    worst=min(((float(A[k])-float(L[k]))/abs(float(L[k])) if float(L[k])!=0 else 0,k) for k in mains)
    rows.append((t,mm(L['mean main']),mm(A['mean main']),spread(A['mean main']),A['Δ vs LightGBM'],A['Δ_MTL vs single-task'],L['fit s'],A['fit s'],worst,T.get('FastTree per task',{}).get('mean main'),S and S['mean main'], T.get('Shared-bottom MT',{}).get('mean main'), T.get('MMoE MT',{}).get('mean main')))
for r in rows:
    t,l,a,s,d,dm,fl,fa,w,ft,st,sb,mo=r
    print(f"{t:14s} LGBM {l:.4f} ours {a:.4f}±{s:.4f} rel {(a-l)/l*100:+.2f}% Δall {d} ΔMTL {dm} fit {fa}/{fl}={float(fa)/float(fl):.1f}x worst {w[1]} {w[0]*100:+.1f}%")
import statistics
L=[r[1] for r in rows]; A=[r[2] for r in rows]
print('mean LGBM %.4f ours %.4f rel %+.2f%%'%(statistics.mean(L),statistics.mean(A),(statistics.mean(A)/statistics.mean(L)-1)*100))
print('mean of per-table rel %+.2f%%'%statistics.mean([(r[2]-r[1])/r[1]*100 for r in rows]))
print('tables >= LGBM:',sum(1 for r in rows if r[2]>=r[1]),'of',len(rows))
print()
print('| table (tasks) | LightGBM per task | FastTree per task | our single-task nets | shared-bottom | MMoE | **one attention model** | fit s: attention / LightGBM |')
print('|---|---|---|---|---|---|---|---|')
nt={'diamonds':4,'lending_club':3,'rotterdam':2,'stackoverflow':3,'penguins':3,'sacramento':3,'meats':3,'cps1985':3,'colon':2,'mlc_churn':3}
for r in rows:
    t,l,a,s,d,dm,fl,fa,w,ft,st,sb,mo=r
    T=tables[t]
    def cell(name):
        x=T[name]; return f"{x['mean main']} ({x['Δ vs LightGBM']})"
    print(f"| {t} ({nt[t]}) | {l:.4f} | {cell('FastTree per task')} | {cell('Ours single-task')} | {cell('Shared-bottom MT')} | {cell('MMoE MT')} | **{cell('Attention MT (default)')}** | {fa} / {fl} |")
