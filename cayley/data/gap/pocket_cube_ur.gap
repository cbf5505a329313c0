# The 2x2x2 cube turned by its U and R faces only (clockwise quarter turns; add
# --inverses for the counter-clockwise ones). 24 stickers, numbered as cayley's
# cube_qtm family at n = 24 (`cayley families cube_qtm --format gap`): U face 1-4,
# R face 5-8, F face 9-12, D face 13-16, L face 17-20, B face 21-24.
# Sticker 24 (on B) never moves, so GAP does not see it: give the group, S_24, to keep
# it. The <U, R> group has 29,160 elements (3,674,160 / 126); with --inverses the graph
# is its quarter-turn Cayley graph.
M_U := (1,3,4,2)(5,21,17,9)(6,22,18,10);
M_R := (2,10,14,23)(4,12,16,21)(5,7,8,6);
Gen := [M_U, M_R];
