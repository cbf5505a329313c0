# Copied from the project-provided reference driver /work/shared/peers/gap_growth.g
# (how to run GAP at its best); unchanged except this header and the usage paths.
#
# Growth function (sphere sizes) of Cayley graphs of S_n in GAP 4.12.
#
# Usage (parameters are given as GAP assignments before this file):
#   gap -q -A -o 20g -c 'FAMILY:="lrx";; N:=9;; MODE:="sets";;' benchmarks/peers/gap_growth.g
#
# FAMILY: "lrx" | "coxeter" | "pancake" | "all_transpositions" | "top_spin"
# MODE:
#   "sets"    - tuned BFS over group elements; every layer is a strictly
#               sorted list of permutations, and all bulk work runs in the
#               GAP kernel (list*perm products, Set = sort+dedup, SubtractSet
#               and UniteSet merges).  Keeps only the previous and the current
#               layer (valid because all generating sets here are closed
#               under inverses).
#   "builtin" - GAP's own GrowthFunctionOfGroup(G) (library code: 2 bits per
#               element indexed by the stabilizer-chain enumerator, an
#               interpreted loop per element).
#   "size"    - Size(G) only (Schreier-Sims), for reference.
#   "orbit"   - Length(Orbit(G, (), OnRight)): plain element enumeration with
#               GAP's generic orbit algorithm, for reference.
# CHUNK (optional): how many layer elements are expanded per kernel batch.

SetPrintFormattingStatus("*stdout*", false);

if not IsBound(FAMILY) then FAMILY := "lrx"; fi;
if not IsBound(N) then N := 8; fi;
if not IsBound(MODE) then MODE := "sets"; fi;

# Generators follow cayleypy's PermutationGroups definitions (0-based lists
# there, 1-based points here).  Every set below is closed under inverses.
BenchGenerators := function(family, n)
  local L, R, gens, i, j, k;
  L := PermList(Concatenation([2..n], [1]));       # left cyclic shift
  R := PermList(Concatenation([n], [1..n-1]));     # right cyclic shift
  if family = "lrx" then
    return [L, R, (1,2)];
  elif family = "top_spin" then
    return [L, R, PermList(Concatenation([4,3,2,1], [5..n]))];
  elif family = "coxeter" then
    return List([1..n-1], i -> (i, i+1));
  elif family = "pancake" then
    return List([2..n], k -> PermList(Concatenation([k, k-1..1], [k+1..n])));
  elif family = "all_transpositions" then
    gens := [];
    for i in [1..n] do
      for j in [i+1..n] do
        Add(gens, (i, j));
      od;
    od;
    return gens;
  fi;
  Error("unknown family ", family);
end;

# One generator out of every pair {g, g^-1}: GrowthFunctionOfGroup adds the
# inverses of non-involutions itself, so passing both would double the work.
HalfInverseClosed := function(gens)
  local half, g;
  half := [];
  for g in gens do
    if not (g^-1 in half) then
      Add(half, g);
    fi;
  od;
  return half;
end;

# Merge a list of disjoint strictly sorted lists, pairwise (balanced tree).
MergeSortedParts := function(parts)
  local next, j;
  if Length(parts) = 0 then
    return [];
  fi;
  while Length(parts) > 1 do
    next := [];
    for j in [1, 3 .. 2*QuoInt(Length(parts)+1, 2) - 1] do
      if j + 1 <= Length(parts) then
        UniteSet(parts[j], parts[j+1]);
        Unbind(parts[j+1]);
      fi;
      Add(next, parts[j]);
    od;
    parts := next;
  od;
  return parts[1];
end;

GrowthBySortedLayers := function(gens, chunk)
  local prev, cur, nxt, sizes, parts, i, c, nb, len;
  prev := [];
  cur := [ () ];
  sizes := [ 1 ];
  while true do
    parts := [];
    len := Length(cur);
    for i in [1, 1 + chunk .. 1 + chunk * QuoInt(len - 1, chunk)] do
      c := cur{[i .. Minimum(i + chunk - 1, len)]};
      # all neighbours of this batch: list*perm multiplies in the kernel
      nb := Set(Concatenation(List(gens, g -> c * g)));
      SubtractSet(nb, cur);
      SubtractSet(nb, prev);
      Add(parts, nb);
    od;
    Unbind(c);
    Unbind(nb);
    nxt := MergeSortedParts(parts);
    Unbind(parts);
    if Length(nxt) = 0 then
      break;
    fi;
    Add(sizes, Length(nxt));
    prev := cur;
    cur := nxt;
  od;
  return sizes;
end;

_gens := BenchGenerators(FAMILY, N);
if not IsBound(CHUNK) then
  CHUNK := Maximum(1, QuoInt(2^21, Length(_gens)));
fi;
_t0 := Runtimes();
if MODE = "sets" then
  _sizes := GrowthBySortedLayers(_gens, CHUNK);
elif MODE = "builtin" then
  _sizes := GrowthFunctionOfGroup(GroupWithGenerators(HalfInverseClosed(_gens)));
elif MODE = "size" then
  _sizes := [ Size(GroupWithGenerators(_gens)) ];
elif MODE = "orbit" then
  _sizes := [ Length(Orbit(GroupWithGenerators(_gens), (), OnRight)) ];
else
  Error("unknown MODE ", MODE);
fi;
_t1 := Runtimes();
_ms := (_t1.user_time - _t0.user_time) + (_t1.system_time - _t0.system_time);
Print("{\"tool\": \"gap\", \"gap_version\": \"", GAPInfo.Version,
      "\", \"graph\": \"", FAMILY, "\", \"n\": ", N,
      ", \"mode\": \"", MODE, "\", \"n_generators\": ", Length(_gens),
      ", \"chunk\": ", CHUNK,
      ", \"algo_cpu_ms\": ", _ms,
      ", \"layer_sizes\": ", _sizes,
      ", \"sum\": ", Sum(_sizes), ", \"diameter\": ", Length(_sizes) - 1, "}\n");
QUIT;
