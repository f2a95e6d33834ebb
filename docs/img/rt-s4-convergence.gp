set terminal pngcairo size 1920,760 font ",10"
set output 'rt-s4-convergence.png'
set termoption noenhanced
set datafile missing 'NaN'
set key top right font ',9'
set grid
set xlabel 'time (s)'
set multiplot layout 2,4 title '4. Convergence (join/leave) (real time, loopback)'
set title 'FIFO: IOPS per 100 ms'
set ylabel 'IOPS'
unset logscale y
set yrange [0:5500]
plot 'rt-s4-convergence-fifo.dat' using 1:2 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'a', 'rt-s4-convergence-fifo.dat' using 1:3 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'b', 'rt-s4-convergence-fifo.dat' using 1:4 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'c'
set title 'NVMe RR: IOPS per 100 ms'
set ylabel 'IOPS'
unset logscale y
set yrange [0:5500]
plot 'rt-s4-convergence-nvme-rr.dat' using 1:2 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'a', 'rt-s4-convergence-nvme-rr.dat' using 1:3 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'b', 'rt-s4-convergence-nvme-rr.dat' using 1:4 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'c'
set title 'static limits: IOPS per 100 ms'
set ylabel 'IOPS'
unset logscale y
set yrange [0:5500]
plot 'rt-s4-convergence-static-limits.dat' using 1:2 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'a', 'rt-s4-convergence-static-limits.dat' using 1:8 with lines lw 1 dt 2 lt 1 title 'a rate', 'rt-s4-convergence-static-limits.dat' using 1:3 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'b', 'rt-s4-convergence-static-limits.dat' using 1:9 with lines lw 1 dt 2 lt 2 title 'b rate', 'rt-s4-convergence-static-limits.dat' using 1:4 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'c', 'rt-s4-convergence-static-limits.dat' using 1:10 with lines lw 1 dt 2 lt 3 title 'c rate'
set title 'Offload: IOPS per 100 ms'
set ylabel 'IOPS'
unset logscale y
set yrange [0:5500]
plot 'rt-s4-convergence-offload.dat' using 1:2 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'a', 'rt-s4-convergence-offload.dat' using 1:8 with lines lw 1 dt 2 lt 1 title 'a rate', 'rt-s4-convergence-offload.dat' using 1:3 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'b', 'rt-s4-convergence-offload.dat' using 1:9 with lines lw 1 dt 2 lt 2 title 'b rate', 'rt-s4-convergence-offload.dat' using 1:4 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'c', 'rt-s4-convergence-offload.dat' using 1:10 with lines lw 1 dt 2 lt 3 title 'c rate'
set title 'FIFO: p99 per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 'rt-s4-convergence-fifo.dat' using 1:5 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'a', 'rt-s4-convergence-fifo.dat' using 1:6 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'b', 'rt-s4-convergence-fifo.dat' using 1:7 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'c'
set title 'NVMe RR: p99 per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 'rt-s4-convergence-nvme-rr.dat' using 1:5 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'a', 'rt-s4-convergence-nvme-rr.dat' using 1:6 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'b', 'rt-s4-convergence-nvme-rr.dat' using 1:7 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'c'
set title 'static limits: p99 per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 'rt-s4-convergence-static-limits.dat' using 1:5 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'a', 'rt-s4-convergence-static-limits.dat' using 1:6 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'b', 'rt-s4-convergence-static-limits.dat' using 1:7 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'c'
set title 'Offload: p99 per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 'rt-s4-convergence-offload.dat' using 1:5 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'a', 'rt-s4-convergence-offload.dat' using 1:6 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'b', 'rt-s4-convergence-offload.dat' using 1:7 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'c'
unset multiplot
