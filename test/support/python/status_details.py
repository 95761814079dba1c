"""google.rpc.Status through Python's protobuf runtime, an encoder independent of protobufjs.

Builds google.rpc.Status from a descriptor (the googleapis protos are not installed here), then
prints JSON: the bytes Python encodes for the status given on argv[1] (JSON: code, message,
details as [type_url, hex value]), and what Python decodes from the hex bytes in argv[2].
"""
import json
import sys

from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto
proto = descriptor_pb2.FileDescriptorProto(
    name="krpc_test/google_rpc_status.proto",
    package="google.rpc",
    syntax="proto3",
    dependency=[any_pb2.DESCRIPTOR.name],
)
status = proto.message_type.add(name="Status")
status.field.add(name="code", number=1, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL)
status.field.add(name="message", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
status.field.add(name="details", number=3, type=F.TYPE_MESSAGE, type_name=".google.protobuf.Any", label=F.LABEL_REPEATED)
pool = descriptor_pool.Default()
pool.AddSerializedFile(proto.SerializeToString())
descriptor = pool.FindMessageTypeByName("google.rpc.Status")
if hasattr(message_factory, "GetMessageClass"):
    Status = message_factory.GetMessageClass(descriptor)
else:
    Status = message_factory.MessageFactory(pool).GetPrototype(descriptor)

given = json.loads(sys.argv[1])
out = Status(code=given["code"], message=given["message"])
for type_url, value in given["details"]:
    any_message = out.details.add()
    any_message.type_url = type_url
    any_message.value = bytes.fromhex(value)

parsed = Status()
parsed.ParseFromString(bytes.fromhex(sys.argv[2]))
print(json.dumps({
    "encoded": out.SerializeToString().hex(),
    "decoded": {
        "code": parsed.code,
        "message": parsed.message,
        "details": [[d.type_url, d.value.hex()] for d in parsed.details],
    },
}))
