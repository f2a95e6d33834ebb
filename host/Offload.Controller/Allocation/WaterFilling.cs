namespace Offload.Controller.Allocation;

/// <summary>
/// Weighted max-min fair allocation ("water-filling") of a capacity among claimants with reservations,
/// demands and limits. Deterministic; allocates nothing.
/// </summary>
/// <remarks>
/// Pass 1 fills every claimant up to min(demand, limit) at a common water level λ (claimant i gets
/// clamp(λ·wᵢ, reservationᵢ, capᵢ)). If demands leave capacity unused, pass 2 hands the surplus out by
/// weight up to each limit, so the allocation is work-conserving: the rates never idle capacity that a
/// claimant could use once its demand grows. If the reservations alone exceed capacity they are scaled
/// down proportionally (the infeasible case is reported by <see cref="Allocate"/> returning false).
/// </remarks>
public static class WaterFilling
{
    private const int Iterations = 64;

    /// <summary>Allocates <paramref name="capacity"/>; returns false when reservations were infeasible.</summary>
    public static bool Allocate(double capacity, ReadOnlySpan<FairShareRequest> requests, Span<double> allocation)
    {
        if (allocation.Length < requests.Length)
        {
            throw new ArgumentException("allocation span is shorter than requests", nameof(allocation));
        }

        capacity = Math.Max(0, capacity);
        double reserved = 0;
        for (int i = 0; i < requests.Length; i++)
        {
            reserved += Math.Min(requests[i].Reservation, requests[i].Limit);
        }

        if (reserved > capacity)
        {
            double scale = reserved > 0 ? capacity / reserved : 0;
            for (int i = 0; i < requests.Length; i++)
            {
                allocation[i] = Math.Min(requests[i].Reservation, requests[i].Limit) * scale;
            }

            return false;
        }

        Fill(capacity, requests, allocation, useDemand: true);
        double used = 0;
        for (int i = 0; i < requests.Length; i++)
        {
            used += allocation[i];
        }

        if (used < capacity * (1 - 1e-9))
        {
            // Work-conserving pass: surplus by weight up to limits, never below pass-1 grants.
            Span<double> floor = requests.Length <= 256 ? stackalloc double[requests.Length] : new double[requests.Length];
            allocation[..requests.Length].CopyTo(floor);
            FillAbove(capacity, requests, floor, allocation);
        }

        return true;
    }

    private static void Fill(double capacity, ReadOnlySpan<FairShareRequest> r, Span<double> x, bool useDemand)
    {
        double lo = 0, hi = 0;
        double sumCap = 0;
        for (int i = 0; i < r.Length; i++)
        {
            double cap = Cap(r[i], useDemand);
            double w = Math.Max(r[i].Weight, 1e-12);
            sumCap += cap;
            hi = Math.Max(hi, double.IsFinite(cap) ? cap / w : capacity / w);
        }

        if (sumCap <= capacity)
        {
            for (int i = 0; i < r.Length; i++)
            {
                x[i] = Cap(r[i], useDemand);
            }

            return;
        }

        for (int it = 0; it < Iterations; it++)
        {
            double mid = (lo + hi) / 2;
            if (Sum(mid, r, useDemand) > capacity)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        for (int i = 0; i < r.Length; i++)
        {
            x[i] = Level(lo, r[i], useDemand);
        }
    }

    private static void FillAbove(double capacity, ReadOnlySpan<FairShareRequest> r, ReadOnlySpan<double> floor, Span<double> x)
    {
        double sumLimit = 0, hi = 0;
        for (int i = 0; i < r.Length; i++)
        {
            sumLimit += r[i].Limit;
            double w = Math.Max(r[i].Weight, 1e-12);
            hi = Math.Max(hi, (floor[i] + capacity) / w);
        }

        if (sumLimit <= capacity)
        {
            for (int i = 0; i < r.Length; i++)
            {
                x[i] = r[i].Limit;
            }

            return;
        }

        double lo = 0;
        for (int it = 0; it < Iterations; it++)
        {
            double mid = (lo + hi) / 2;
            double sum = 0;
            for (int i = 0; i < r.Length; i++)
            {
                sum += Math.Clamp(mid * r[i].Weight, floor[i], Math.Max(floor[i], r[i].Limit));
            }

            if (sum > capacity)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        for (int i = 0; i < r.Length; i++)
        {
            x[i] = Math.Clamp(lo * r[i].Weight, floor[i], Math.Max(floor[i], r[i].Limit));
        }
    }

    private static double Cap(in FairShareRequest r, bool useDemand)
    {
        double cap = useDemand ? Math.Min(r.Demand, r.Limit) : r.Limit;
        return Math.Max(cap, Math.Min(r.Reservation, r.Limit));
    }

    private static double Level(double lambda, in FairShareRequest r, bool useDemand)
    {
        double cap = Cap(r, useDemand);
        return Math.Clamp(lambda * r.Weight, Math.Min(Math.Min(r.Reservation, r.Limit), cap), cap);
    }

    private static double Sum(double lambda, ReadOnlySpan<FairShareRequest> r, bool useDemand)
    {
        double sum = 0;
        for (int i = 0; i < r.Length; i++)
        {
            sum += Level(lambda, r[i], useDemand);
        }

        return sum;
    }
}
