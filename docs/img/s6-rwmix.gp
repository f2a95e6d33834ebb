set terminal pngcairo size 1240,820 font ",10"
set output 's6-rwmix.png'
set datafile missing '?'
set key top right font ',9'
set grid
set multiplot layout 2,2 title '6. Read/write mix (write-cost model)'
set xlabel 'time (s)'
set title 'Offload, cost model off: throughput (solid) and policy rate (dashed)'
set ylabel 'cost units/s'
unset logscale y
set yrange [0:*]
plot 's6-rwmix-offload-cost-model-off.dat' using 1:2 with lines lw 2 lt 1 title 'reader1', 's6-rwmix-offload-cost-model-off.dat' using 1:3 with lines dt 2 lt 1 notitle, 's6-rwmix-offload-cost-model-off.dat' using 1:5 with lines lw 2 lt 2 title 'reader2', 's6-rwmix-offload-cost-model-off.dat' using 1:6 with lines dt 2 lt 2 notitle, 's6-rwmix-offload-cost-model-off.dat' using 1:8 with lines lw 2 lt 3 title 'writer', 's6-rwmix-offload-cost-model-off.dat' using 1:9 with lines dt 2 lt 3 notitle
set xlabel 'time (s)'
set title 'Offload, cost model on: throughput (solid) and policy rate (dashed)'
set ylabel 'cost units/s'
unset logscale y
set yrange [0:*]
plot 's6-rwmix-offload-cost-model-on.dat' using 1:2 with lines lw 2 lt 1 title 'reader1', 's6-rwmix-offload-cost-model-on.dat' using 1:3 with lines dt 2 lt 1 notitle, 's6-rwmix-offload-cost-model-on.dat' using 1:5 with lines lw 2 lt 2 title 'reader2', 's6-rwmix-offload-cost-model-on.dat' using 1:6 with lines dt 2 lt 2 notitle, 's6-rwmix-offload-cost-model-on.dat' using 1:8 with lines lw 2 lt 3 title 'writer', 's6-rwmix-offload-cost-model-on.dat' using 1:9 with lines dt 2 lt 3 notitle
set xlabel 'time (s)'
set title 'Offload, cost model off: p99 latency per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 's6-rwmix-offload-cost-model-off.dat' using 1:4 with linespoints pt 7 ps 0.5 lt 1 title 'reader1', 's6-rwmix-offload-cost-model-off.dat' using 1:7 with linespoints pt 7 ps 0.5 lt 2 title 'reader2', 's6-rwmix-offload-cost-model-off.dat' using 1:10 with linespoints pt 7 ps 0.5 lt 3 title 'writer'
set xlabel 'time (s)'
set title 'Offload, cost model on: p99 latency per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 's6-rwmix-offload-cost-model-on.dat' using 1:4 with linespoints pt 7 ps 0.5 lt 1 title 'reader1', 's6-rwmix-offload-cost-model-on.dat' using 1:7 with linespoints pt 7 ps 0.5 lt 2 title 'reader2', 's6-rwmix-offload-cost-model-on.dat' using 1:10 with linespoints pt 7 ps 0.5 lt 3 title 'writer'
unset multiplot
