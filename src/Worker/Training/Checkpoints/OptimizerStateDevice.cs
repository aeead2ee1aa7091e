using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Checkpoints;

/// <summary>
/// After loading optimiser state, puts its tensors on the training device. TorchSharp's SGD
/// creates a loaded momentum buffer with <c>torch.empty(shape)</c>, on the CPU, whatever device
/// its parameter is on, and its <c>State.to</c> drops the moved tensor; a CUDA run would resume
/// with CPU buffers and fail at the first step. The states are public-field objects, so their
/// tensor fields are moved here. Nothing to do on the CPU.
/// </summary>
internal static class OptimizerStateDevice
{
    public static void MoveTo(OptimizerHelper optimizer, Device device)
    {
        if (device.type == DeviceType.CPU)
        {
            return;
        }
        foreach (var state in optimizer.state_dict().State)
        {
            foreach (var field in state.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => f.FieldType == typeof(Tensor)))
            {
                if (field.GetValue(state) is Tensor tensor && (tensor.device_type != device.type || tensor.device_index != device.index))
                {
                    field.SetValue(state, tensor.to(device));
                    tensor.Dispose();
                }
            }
        }
    }
}
