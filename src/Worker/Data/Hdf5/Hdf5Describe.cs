using PureHDF;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>Short human names of HDF5 types and layouts, numpy style.</summary>
internal static class Hdf5Describe
{
    public static string DType(IH5DataType type) => type.Class switch
    {
        H5DataTypeClass.FixedPoint => $"{(type.FixedPoint.IsSigned ? "int" : "uint")}{type.Size * 8}",
        H5DataTypeClass.FloatingPoint => $"float{type.Size * 8}",
        H5DataTypeClass.String or H5DataTypeClass.VariableLength => "string",
        H5DataTypeClass.Enumerated => "enum",
        H5DataTypeClass.Compound => "compound",
        _ => type.Class.ToString().ToLowerInvariant(),
    };
}
