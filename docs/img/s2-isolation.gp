set terminal pngcairo size 1240,820 font ",10"
set output 's2-isolation.png'
set datafile missing '?'
set key top right font ',9'
set grid
set multiplot layout 2,2 title '2. Isolation'
set xlabel 'time (s)'
set title 'FIFO: throughput (solid) and policy rate (dashed)'
set ylabel 'cost units/s'
unset logscale y
set yrange [0:*]
plot 's2-isolation-fifo.dat' using 1:2 with lines lw 2 lt 1 title 'aggressor', 's2-isolation-fifo.dat' using 1:3 with lines dt 2 lt 1 notitle, 's2-isolation-fifo.dat' using 1:5 with lines lw 2 lt 2 title 'v1', 's2-isolation-fifo.dat' using 1:6 with lines dt 2 lt 2 notitle, 's2-isolation-fifo.dat' using 1:8 with lines lw 2 lt 3 title 'v2', 's2-isolation-fifo.dat' using 1:9 with lines dt 2 lt 3 notitle, 's2-isolation-fifo.dat' using 1:11 with lines lw 2 lt 4 title 'v3', 's2-isolation-fifo.dat' using 1:12 with lines dt 2 lt 4 notitle
set xlabel 'time (s)'
set title 'Offload: throughput (solid) and policy rate (dashed)'
set ylabel 'cost units/s'
unset logscale y
set yrange [0:*]
plot 's2-isolation-offload.dat' using 1:2 with lines lw 2 lt 1 title 'aggressor', 's2-isolation-offload.dat' using 1:3 with lines dt 2 lt 1 notitle, 's2-isolation-offload.dat' using 1:5 with lines lw 2 lt 2 title 'v1', 's2-isolation-offload.dat' using 1:6 with lines dt 2 lt 2 notitle, 's2-isolation-offload.dat' using 1:8 with lines lw 2 lt 3 title 'v2', 's2-isolation-offload.dat' using 1:9 with lines dt 2 lt 3 notitle, 's2-isolation-offload.dat' using 1:11 with lines lw 2 lt 4 title 'v3', 's2-isolation-offload.dat' using 1:12 with lines dt 2 lt 4 notitle
set xlabel 'time (s)'
set title 'FIFO: p99 latency per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 's2-isolation-fifo.dat' using 1:4 with linespoints pt 7 ps 0.5 lt 1 title 'aggressor', 's2-isolation-fifo.dat' using 1:7 with linespoints pt 7 ps 0.5 lt 2 title 'v1', 's2-isolation-fifo.dat' using 1:10 with linespoints pt 7 ps 0.5 lt 3 title 'v2', 's2-isolation-fifo.dat' using 1:13 with linespoints pt 7 ps 0.5 lt 4 title 'v3'
set xlabel 'time (s)'
set title 'Offload: p99 latency per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 's2-isolation-offload.dat' using 1:4 with linespoints pt 7 ps 0.5 lt 1 title 'aggressor', 's2-isolation-offload.dat' using 1:7 with linespoints pt 7 ps 0.5 lt 2 title 'v1', 's2-isolation-offload.dat' using 1:10 with linespoints pt 7 ps 0.5 lt 3 title 'v2', 's2-isolation-offload.dat' using 1:13 with linespoints pt 7 ps 0.5 lt 4 title 'v3'
unset multiplot
