// Original file: proto/grpc/testing/messages.proto


export interface TestOrcaReport {
  'cpuUtilization'?: (number | string);
  'memoryUtilization'?: (number | string);
  'requestCost'?: ({[key: string]: number | string});
  'utilization'?: ({[key: string]: number | string});
}

export interface TestOrcaReport__Output {
  'cpuUtilization': (number);
  'memoryUtilization': (number);
  'requestCost': ({[key: string]: number});
  'utilization': ({[key: string]: number});
}
