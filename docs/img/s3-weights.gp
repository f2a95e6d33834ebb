set terminal pngcairo size 1240,820 font ",10"
set output 's3-weights.png'
set datafile missing '?'
set key top right font ',9'
set grid
set multiplot layout 2,2 title '3. Weights, reservation, limit'
set xlabel 'time (s)'
set title 'Offload: throughput (solid) and policy rate (dashed)'
set ylabel 'cost units/s'
unset logscale y
set yrange [0:*]
plot 's3-weights-offload.dat' using 1:2 with lines lw 2 lt 1 title 'w1', 's3-weights-offload.dat' using 1:3 with lines dt 2 lt 1 notitle, 's3-weights-offload.dat' using 1:5 with lines lw 2 lt 2 title 'w2', 's3-weights-offload.dat' using 1:6 with lines dt 2 lt 2 notitle, 's3-weights-offload.dat' using 1:8 with lines lw 2 lt 3 title 'w4', 's3-weights-offload.dat' using 1:9 with lines dt 2 lt 3 notitle
set xlabel 'time (s)'
set title 'Offload SLA: throughput (solid) and policy rate (dashed)'
set ylabel 'cost units/s'
unset logscale y
set yrange [0:*]
plot 's3-weights-offload-sla.dat' using 1:2 with lines lw 2 lt 1 title 'res', 's3-weights-offload-sla.dat' using 1:3 with lines dt 2 lt 1 notitle, 's3-weights-offload-sla.dat' using 1:5 with lines lw 2 lt 2 title 'lim', 's3-weights-offload-sla.dat' using 1:6 with lines dt 2 lt 2 notitle, 's3-weights-offload-sla.dat' using 1:8 with lines lw 2 lt 3 title 'free', 's3-weights-offload-sla.dat' using 1:9 with lines dt 2 lt 3 notitle
set xlabel 'time (s)'
set title 'Offload: p99 latency per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 's3-weights-offload.dat' using 1:4 with linespoints pt 7 ps 0.5 lt 1 title 'w1', 's3-weights-offload.dat' using 1:7 with linespoints pt 7 ps 0.5 lt 2 title 'w2', 's3-weights-offload.dat' using 1:10 with linespoints pt 7 ps 0.5 lt 3 title 'w4'
set xlabel 'time (s)'
set title 'Offload SLA: p99 latency per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 's3-weights-offload-sla.dat' using 1:4 with linespoints pt 7 ps 0.5 lt 1 title 'res', 's3-weights-offload-sla.dat' using 1:7 with linespoints pt 7 ps 0.5 lt 2 title 'lim', 's3-weights-offload-sla.dat' using 1:10 with linespoints pt 7 ps 0.5 lt 3 title 'free'
unset multiplot
