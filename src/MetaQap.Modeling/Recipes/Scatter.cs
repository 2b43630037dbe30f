using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Recipes;

/// <summary>A scatter plot of predictions vs MOS with the fitted logistic (the evaluation report's plot).</summary>
internal static class Scatter
{
    public static void Write(string path, string title, IReadOnlyList<double> predicted, IReadOnlyList<double> mos)
    {
        double[] x = [.. predicted];
        double[] y = [.. mos];
        string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            ScatterPlot.Write(temporary, title, x, y, LogisticMapping.Fit(x, y), EvaluationMetrics.Compute(x, y));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
