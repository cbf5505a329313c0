# TopSpin with 8 discs on an oval track and a turntable that reverses 4 of them: the
# moves are a shift of the track (T) and a turn of the turntable (F). With the ip line,
# the discs come in two colours (4 dark at positions 1-4, 4 light at 5-8): the states
# are the 70 colourings of the track (a Schreier graph). Add --inverses for the shift
# the other way; --start 0,1,2,3,4,5,6,7 gives the Cayley graph of the whole group.
M_T := (1,2,3,4,5,6,7,8);
M_F := (1,4)(2,3);
Gen := [M_T, M_F];
ip := [[1,2,3,4],[5,6,7,8]];
