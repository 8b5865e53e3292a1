# hv/svm/svm.mk: the AMD SVM backend sources.
HV_SRCS += hv/svm/svm.c hv/svm/svm_entry.S hv/svm/svm_decode.c hv/svm/svm_event.c
HV_HOST_SRCS += hv/svm/svm_decode.c hv/svm/svm_event.c
