using System.Runtime.InteropServices;

namespace MetaQap.Modeling.Tests.Runtime;

/// <summary>
/// A thread that collects garbage and runs finalizers without pause while the test's loop calls into libtorch: a
/// Scalar that nothing keeps alive through its native call is then freed mid-call (TensorScalars).
/// </summary>
internal static class ForcedCollections
{
    /// <summary>Runs <paramref name="body"/> <paramref name="iterations"/> times while another thread collects and finalizes.</summary>
    public static List<string> Run(int iterations, Action body)
    {
        int stop = 0;
        var collector = new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        collector.Start();
        var errors = new List<string>();
        try
        {
            for (int i = 0; i < iterations; i++)
            {
                try
                {
                    body();
                }
                catch (ExternalException e)
                {
                    errors.Add(e.Message);
                }
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            collector.Join();
        }

        return errors;
    }
}
