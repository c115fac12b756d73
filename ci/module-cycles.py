#!/usr/bin/env python3
"""Import cycles and upward imports between the library's modules: exit 1
and print each.

The library is four layers, src/measure/, src/data/, src/groups/ and
src/judge/; a module may import from its own layer and the ones below it, never from one above.

A text scan, not a compiler pass: it follows `crate::` and `super::` paths
(in `use` lines and inline), `mod` declarations (parent to child), and the crate root's re-exports (`Error`,
`Fixtures`, `Workload`, `Select`, `Throughput`) to the module files under
src/, skipping the binaries and unit-test modules. Run from the repository root.
"""
import re,os,itertools,sys
root='src'
mods={}
for dp,_,fs in os.walk(root):
    for f in fs:
        if not f.endswith('.rs') or dp.startswith('src/bin') or dp.startswith('src/cli') or f=='main.rs': continue
        p=os.path.join(dp,f); rel=p[4:-3]
        parts=rel.split('/')
        if parts[-1] in ('mod','lib'): parts=parts[:-1]
        mods['::'.join(parts)]=p
def resolve(cur, path):
    segs=path.split('::')
    if segs[0]=='crate': base=[]; segs=segs[1:]
    elif segs[0]=='super':
        base=cur.split('::')[:-1] if cur else []
        # for mod.rs files, cur is the module itself; super is parent
        segs=segs[1:]
        while segs and segs[0]=='super': base=base[:-1]; segs=segs[1:]
    else: return None
    # longest module prefix
    best=None
    for i in range(len(segs),0,-1):
        cand='::'.join(base+segs[:i])
        if cand in mods: best=cand; break
    if best is None and base: best='::'.join(base) if '::'.join(base) in mods else None
    return best
edges={m:set() for m in mods}
for m,p in mods.items():
    s=open(p).read()
    s=re.sub(r'#\[cfg\(test\)\]\s*mod tests\s*\{.*','',s,flags=re.S)
    for mm in re.finditer(r'\b((?:crate|super)(?:::(?:super|[a-z_][a-z0-9_]*))+)', s):
        t=resolve(m, mm.group(1))
        # use super::{a, b}
        if t and t!=m and not m.startswith(t+'::') : edges[m].add(t)
    for name,t in [('Error','error'),('Fixtures','fixtures'),('Workload','workload'),('Select','workload'),('Throughput','workload')]:
        if re.search(r'crate::(\{[^}]*\b'+name+r'\b|'+name+r'\b)', s) and t!=m and not m.startswith(t+'::'): edges[m].add(t)
    for mm in re.finditer(r'use (crate|super)::\{([^}]*)\}', s):
        for name in re.split(r'[,\s]+', mm.group(2)):
            name=name.strip()
            if not name or not name[0].islower(): continue
            t=resolve(m, mm.group(1)+'::'+name.split('::')[0])
            if t and t!=m and not m.startswith(t+'::'): edges[m].add(t)
    # A `mod` declaration: the parent reaches the child (a path through a
    # parent module and back out is a circle too, such as a -> b -> b::c -> a).
    for mm in re.finditer(r'^\s*(?:pub(?:\([a-z]+\))?\s+)?mod ([a-z_][a-z0-9_]*);', s, flags=re.M):
        child=(m+'::' if m else '')+mm.group(1)
        if child in mods: edges[m].add(child)
# lib root re-exports: ignore '' node
edges.pop('',None)
for m in edges: edges[m].discard('')
# find cycles (pairs and SCCs)
idx={};low={};st=[];on=set();sccs=[];i=[0]
sys.setrecursionlimit(10000)
def sc(v):
    idx[v]=low[v]=i[0];i[0]+=1;st.append(v);on.add(v)
    for w in edges.get(v,()):
        if w not in edges: continue
        if w not in idx: sc(w);low[v]=min(low[v],low[w])
        elif w in on: low[v]=min(low[v],idx[w])
    if low[v]==idx[v]:
        c=[]
        while True:
            w=st.pop();on.discard(w);c.append(w)
            if w==v:break
        if len(c)>1: sccs.append(c)
for v in edges:
    if v not in idx: sc(v)
for c in sccs:
    print('cycle:', c)
    for a in c:
        print('  ',a,'->',sorted(x for x in edges[a] if x in c))
print(f"module cycles: {len(sccs)} among {len(edges)} modules")
# Layers, bottom first; the root (lib.rs) is the front door and no layer.
LAYERS={'measure':1,'data':2,'groups':3,'judge':4}
unlayered=sorted(m for m in edges if m.split('::')[0] not in LAYERS)
for m in unlayered:
    print(f'no layer: {m} (put it under src/measure, src/data, src/groups or src/judge, or name its layer in LAYERS)')
upward=sorted((a,b) for a in edges for b in edges[a]
              if a.split('::')[0] in LAYERS and b.split('::')[0] in LAYERS and LAYERS[b.split('::')[0]]>LAYERS[a.split('::')[0]])
for a,b in upward:
    print(f'upward import: {a} ({a.split("::")[0]}) -> {b} ({b.split("::")[0]})')
print(f"upward imports: {len(upward)}; modules outside a layer: {len(unlayered)}")
sys.exit(1 if sccs or upward or unlayered else 0)
