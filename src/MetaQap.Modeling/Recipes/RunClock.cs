using System.Diagnostics;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// Wall time of a run that may span several invocations: the recorded seconds of every work unit (whenever it
/// ran) plus what this invocation spent outside the units it ran itself. For an uninterrupted run that is simply
/// its wall time; after a resume it leaves out only the lost part of an interrupted unit.
/// </summary>
internal sealed class RunClock
{
    private readonly Stopwatch _session = Stopwatch.StartNew();
    private double _allUnits;
    private double _unitsThisSession;

    public void Record(double seconds, bool ranNow)
    {
        _allUnits += seconds;
        if (ranNow)
        {
            _unitsThisSession += seconds;
        }
    }

    public double TotalSeconds => _allUnits + Math.Max(0, _session.Elapsed.TotalSeconds - _unitsThisSession);
}
